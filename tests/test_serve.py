"""The server entry point: `streamlit run` plus the pages' libraries loaded while it starts."""

import sys

from consult.app import serve


def test_without_a_script_it_prints_how_to_call_it(capsys):
    assert serve.main([]) == 2
    assert serve.main(["--server.port", "8501"]) == 2
    assert "python -m consult.app.serve streamlit_app.py" in capsys.readouterr().err


def test_preload_loads_what_the_member_pages_import():
    serve.preload()
    for module in ("consult.app.session", "consult.access.member_join", "consult.opinion.groups", "consult.proposals.similar",
                   "alembic.command"):
        assert module in sys.modules


def test_the_served_app_skips_the_pickling_check_and_the_tests_keep_it(tmp_path):
    """Streamlit's "session state must pickle" check pickles all of it on every run: off where members use the
    app, on wherever the tests run it, where it still stops a page that puts something unpicklable there."""
    import tomllib
    from pathlib import Path

    from streamlit import config
    from streamlit.testing.v1 import AppTest

    served = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert served["runner"]["enforceSerializableSessionState"] is False
    assert config.get_option("runner.enforceSerializableSessionState") is True
    script = tmp_path / "app.py"
    script.write_text("import threading\nimport streamlit as st\nst.session_state['lock'] = threading.Lock()\n")
    assert AppTest.from_file(str(script)).run().exception


def test_the_server_tokenizes_in_one_thread_unless_told_otherwise(monkeypatch):
    """A server's tokenizer batches are a draft or a few phrases, dearer spread over threads than done in one."""
    import os

    from streamlit.web import cli

    seen = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(os.environ.get("TOKENIZERS_PARALLELISM")) or 0)
    monkeypatch.setattr(serve, "preload", lambda: None)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.delenv("TOKENIZERS_PARALLELISM", raising=False)
    assert serve.main(["streamlit_app.py"]) == 0
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "true")  # a setting given wins
    assert serve.main(["streamlit_app.py"]) == 0
    assert seen == ["false", "true"]
