from __future__ import annotations


async def test_health(client):
    answer = await client.get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


async def test_openapi_document_and_docs_page(client):
    document = (await client.get("/api/openapi.json")).json()
    assert "/api/health" in document["paths"]
    assert (await client.get("/api/docs")).status_code == 200
