"""The interactive API docs work without internet: Swagger UI comes from the package."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.support import fake_answer


def test_docs_page_loads_swagger_ui_from_this_server(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path), retriever=None, answer_fn=fake_answer)
    client = TestClient(app)
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text
    script = client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/openapi.json").json()["info"]["title"] == "policyqa"
