import subprocess
import sys
from pathlib import Path

import click

import allegiance
import allegiance.actors
import allegiance.classifier
import allegiance.ingest
import allegiance.store
import allegiance.verbs
from allegiance.pipeline.stages import STAGE_NAMES


def test_public_names_resolve() -> None:
    for module in (allegiance, allegiance.actors, allegiance.classifier, allegiance.verbs,
                   allegiance.ingest, allegiance.store):
        for name in module.__all__:
            assert getattr(module, name) is not None, (module.__name__, name)


def test_top_level_surface_is_deliberate() -> None:
    assert set(allegiance.__all__) == {
        "ActorCode", "ActorMention", "AllegianceError", "Article", "ClassifyResult",
        "CodedDoc", "Coder", "CoderConfig", "ConfigError", "DictionaryError", "Event",
        "InputError", "ModelError", "ResolvedActor", "Span",
        "EventFilter", "IngestOptions", "IngestSummary", "RawArticle", "Store", "StoreError",
        "StoredActor", "StoredEvent", "events_frame", "ingest",
    }


def test_ingest_is_the_function_whatever_was_imported_first(tmp_path: Path) -> None:
    import allegiance.ingest.fetch  # binds allegiance.ingest to the package
    from allegiance import Store, ingest

    (tmp_path / "a.txt").write_text("Venezuela asked Russia for military aid on Monday.")
    with Store(f"sqlite:///{tmp_path / 'e.db'}") as store:
        summary = ingest([str(tmp_path / "a.txt")], store)
    assert summary.added == 1 and callable(allegiance.ingest)


def test_stages_are_the_documented_pipeline() -> None:
    assert STAGE_NAMES == ("sentences", "actors", "parse", "resolution", "events",
                           "classification", "modality", "dates", "evidence")
    out = subprocess.run([str(Path(sys.executable).with_name("allegiance")), "stages"],
                         capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names == [f"{name}.v1" for name in STAGE_NAMES]
    assert "evidence.v1        needs   sentences (sentences.v1), frames.cameo (classification.v1)" \
        in out


def _commands(group: click.Group, prefix: str) -> list[str]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix} {name}"))
        else:
            out.append(f"{prefix} {name}")
    return out


def test_every_command_is_documented_in_the_readme() -> None:
    from allegiance.cli import main

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    commands = _commands(main, "allegiance")
    assert "allegiance ingest" in commands and "allegiance db info" in commands
    for command in [*commands, "make demo", "make test"]:
        assert command in readme, command
