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
