"""The app server: `python -m consult.app.serve streamlit_app.py [streamlit options]`, in place of `streamlit run`.

It is `streamlit run`, plus one thing: while the server starts, a background thread loads the libraries the
members' pages use (pandas, SQLAlchemy, argon2, then scikit-learn and the embedding model). Streamlit runs the
app's script only when a session opens, so without this the first member after every start or restart waited
for those imports (about 0.6 s on their first page, measured by `benchmarks/bench_load.py --protocol`).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time

READY = "consult: ready"  # printed once the preload is done (the load benchmark waits for it)


def _join_page_modules() -> None:
    import alembic.command
    import alembic.config  # noqa: F401 - the first request migrates the database (or checks it is current)

    import consult.access.member_join
    import consult.app.components
    import consult.app.member_views
    import consult.app.navigation
    import consult.app.session
    import consult.storage.erasure
    import consult.storage.roll  # noqa: F401


def preload() -> None:
    """Import what the pages import, the join page's first, so their first run finds it loaded (module imports
    are shared by every session)."""
    started = time.perf_counter()
    _join_page_modules()
    from consult.app import member_views

    member_views.load_analysis()
    # what is loaded now lives as long as the server: out of the collector's sight, so its full collections walk
    # only what page runs create (measured by benchmarks/bench_floor.py)
    gc.collect()
    gc.freeze()
    print(f"{READY} (pages' libraries loaded in {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0].startswith("-"):
        print("usage: python -m consult.app.serve streamlit_app.py [streamlit run options]", file=sys.stderr)
        return 2
    _raw_peer_addresses()
    _security_headers()
    # the embedding model's tokenizer spreads every batch over a thread pool: a server's batches are one draft or a
    # few phrases, where handing them out costs more than the work (one check's phrases: 0.5-0.7 ms of CPU in
    # parallel, 0.2-0.25 ms in one thread). Read at each call, so set before the first; a setting given wins
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Streamlit (with plotly and pandas) is loaded here first: plotly looks pandas up in sys.modules, and a
    # half-imported pandas from the preload thread would break it
    from streamlit.web import cli

    threading.Thread(target=preload, name="consult-preload", daemon=True).start()

    sys.argv = ["streamlit", "run", *arguments]
    return cli.main()


def _security_headers() -> None:
    """Wrap whatever app Streamlit hands uvicorn in `SecurityHeaders` (Streamlit offers no setting for headers)."""
    import uvicorn

    from consult.app.security_headers import SecurityHeaders

    original = uvicorn.Config.__init__
    if getattr(original, "_consult_wrapped", False):
        return

    def init(self, app, *args, **kwargs):
        original(self, SecurityHeaders(app), *args, **kwargs)

    init._consult_wrapped = True
    uvicorn.Config.__init__ = init


def _raw_peer_addresses() -> None:
    """Tell uvicorn (Streamlit's server) to believe no forwarding header: by default it believes any from the same
    machine, so a client talking to the server directly could choose the address every throttle counts by."""
    from consult import configuration

    configuration.trusted_proxies()  # a mistyped proxy list stops the server here, with the entry named
    if os.environ.get("FORWARDED_ALLOW_IPS"):
        print("consult: FORWARDED_ALLOW_IPS is ignored; name the balancer in CONSULT_TRUSTED_PROXIES instead",
              file=sys.stderr)
    os.environ["FORWARDED_ALLOW_IPS"] = ""
    from consult.access.client_address import PEER_IS_RAW_ENV

    os.environ[PEER_IS_RAW_ENV] = "1"


if __name__ == "__main__":
    sys.exit(main())
