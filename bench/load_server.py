"""A bench server in its own process (see ``bench/load.py``).

``python -m bench.load_server dealscout HOME --port N``: dealscout's app on the store in HOME.
``python -m bench.load_server reference BODY_FILE TOKEN_HASH --port N``: the in-memory
reference, FastAPI returning BODY_FILE's bytes at the brief's path with the same bearer
check (the header parsed, the token hashed and looked up).
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response

from dealscout.accounts.auth import hash_token
from dealscout.api.main import create_app
from dealscout.core.config import Settings


def reference_app(body: bytes, token_hash: str) -> FastAPI:
    app = FastAPI()
    tokens = {token_hash: "user"}

    @app.get("/v1/accounts/{account_id}/brief")
    def brief(account_id: int, request: Request) -> Response:
        scheme, _, raw = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or hash_token(raw.strip()) not in tokens:
            raise HTTPException(401, "unknown token")
        return Response(body, media_type="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["dealscout", "reference"])
    parser.add_argument("args", nargs="+")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.kind == "dealscout":
        # a benchmark: the per-token rate limit off, as the other API benches do
        settings = Settings(DEALSCOUT_HOME=args.args[0], DEALSCOUT_TOKEN_REQUESTS_PER_MINUTE=0)
        app = create_app(settings)
    else:
        app = reference_app(Path(args.args[0]).read_bytes(), args.args[1])
    gc.collect()
    gc.freeze()  # both servers alike: start-up objects stay out of collections
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
