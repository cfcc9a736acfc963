"""The dashboard's pages, one module per area; each has `register(router, dash)`."""
