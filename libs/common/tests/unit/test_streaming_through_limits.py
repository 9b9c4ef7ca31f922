"""Streaming and file responses pass through the kit's security middleware whole: the body-size
limit replays the request it buffered and then hands over the connection's own messages, so a
response that listens for the client's disconnect is not cut short (it was: /docs assets
arrived with 0 bytes)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.responses import FileResponse, StreamingResponse

from suxin_common.security.install import install_security
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack._proc import free_port
from suxin_devkit.partnerkit import serve


async def test_a_file_arrives_whole_through_the_security_middleware(tmp_path) -> None:
    asset = tmp_path / "bundle.js"
    asset.write_bytes(b"// swagger-ui bundle stand-in\n" * 20_000)
    app = FastAPI()
    install_security(app, ServiceSettings(environment="test"))

    @app.get("/asset")
    async def file() -> FileResponse:
        return FileResponse(asset)

    async with serve(app, free_port(), lifespan="off") as base:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{base}/asset")

    assert response.status_code == 200
    assert response.content == asset.read_bytes()


async def test_a_streamed_body_arrives_whole_through_the_security_middleware() -> None:
    app = FastAPI()
    install_security(app, ServiceSettings(environment="test"))

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks():
            for n in range(50):
                yield f"{n:04d}".encode() * 1000

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    async with serve(app, free_port(), lifespan="off") as base:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{base}/stream")

    assert response.status_code == 200
    assert len(response.content) == 50 * 4000
    assert response.content.endswith(b"0049" * 1000)
