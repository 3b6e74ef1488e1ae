"""The desk as one ASGI application: pages, the JSON API, static files, sessions and security headers."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from desk import api, pages
from desk.config import DeskConfig
from desk.security import NotLoggedIn, SecurityHeaders
from store import Store
from store.db import StoreError

HERE = Path(__file__).parent


def create_app(store: Store, config: DeskConfig | None = None) -> FastAPI:
    config = config or DeskConfig()
    app = FastAPI(title="Pantau review desk API", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Flags, decisions, articles, officials and stats of a Pantau database. "
                              "Authenticate with `Authorization: Bearer TOKEN` (`pantau users token NAME`).")
    app.state.store, app.state.config = store, config
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["when"] = lambda v: v.strftime("%Y-%m-%d %H:%M") if v else ""
    templates.env.filters["day"] = lambda v: v.strftime("%Y-%m-%d") if v else ""
    app.state.templates = templates
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SessionMiddleware, secret_key=config.secret_key, session_cookie="pantau_session",
                       max_age=int(config.session_hours * 3600), same_site="lax", https_only=config.https_only)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(NotLoggedIn)
    async def _to_login(request: Request, _exc):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", 303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or request.url.path.endswith(".csv"):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        return pages.render(request, "error.html", None, exc.status_code, message=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', [])))}: {e.get('msg')}" for e in exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": problems}, 422)
        return pages.render(request, "error.html", None, 422, message=problems)

    @app.exception_handler(StoreError)
    async def _store_down(request: Request, exc: StoreError):
        return JSONResponse({"detail": str(exc)}, 503)

    return app
