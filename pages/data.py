"""Data: the loaded data sets, and loading more — projected output, labelled sentences or a bitext.

A path typed here is read only inside the data folders of
:mod:`projection.app_support.data_roots`; uploads are stored in the app's cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from projection.app_support import session, sidebar
from projection.app_support.data_roots import ROOTS_ENV, confine, data_roots
from projection.app_support.datasets import Dataset, load_records_folder
from projection.app_support.markdown_text import plain
from projection.app_support.priors_choice import priors_picker, show_priors_used
from projection.app_support.runner import RunRequest, available_methods, run_methods
from projection.app_support.user_data import (
    check_upload_size,
    holds_records,
    read_refusal,
    save_upload,
    upload_folder,
)
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.readers.notes import ReadNotes

LABELLED_TYPES = ["conll", "txt", "iob", "iob2", "bio", "bioes", "jsonl", "testa", "testb", "train"]
LIMIT_MB = st.get_option("server.maxUploadSize")


def uploaded_paths(files: list[UploadedFile], folder: Path) -> list[Path]:
    """Uploads written to ``folder`` (size checked) so the readers can open them by path."""
    paths = []
    for file in files:
        check_upload_size(file.name, file.size, LIMIT_MB)
        paths.append(save_upload(file.name, file.getvalue(), folder, limit_mb=LIMIT_MB))
    return paths


def typed_path(text: str) -> Path:
    """The real path of a typed path inside the data folders, which must exist."""
    path = confine(text)
    if not path.exists():
        raise ProjectionError(f"{text.strip()} does not exist on this machine. Check the path, or upload the file.")
    return path


def one_input(upload: UploadedFile | None, path_text: str, what: str) -> Path:
    """The uploaded file (saved to disk) or the typed path; exactly one must be given."""
    if upload is not None:
        return uploaded_paths([upload], upload_folder([upload.getvalue()]))[0]
    if path_text.strip():
        return typed_path(path_text)
    raise ProjectionError(f"Give the {what}: upload it or type its path on this machine.")


def attempt(action: Callable[[], None]) -> None:
    """Run what a button asked for; a mistake the user can fix is shown as one paragraph."""
    try:
        action()
    except ProjectionError as err:
        st.error(plain(err))
    except OSError as err:
        st.error(plain(read_refusal(err)))


def added(dataset: Dataset) -> None:
    """Keep the data set, and rerun so that the sidebar selects it (and this page says what reading noticed)."""
    session.add_dataset(dataset)
    st.session_state[session.FLASH] = (
        f"Loaded {dataset.title}: {', '.join(dataset.langs)}, "
        f"{sum(dataset.n_sentences(lang) for lang in dataset.langs)} sentences. It is now selected in the sidebar.",
        dataset.notes.messages(),
    )
    st.rerun()


def run_pipeline(
    name: str,
    request: RunRequest,
    sentences: list[Sentence],
    targets: list[Sentence] | None,
    *,
    notes: ReadNotes,
) -> None:
    bar = st.progress(0.0, text="Starting …")
    runs = run_methods(
        request,
        sentences,
        targets,
        cache=Cache(DEFAULT_CACHE_DIR),
        progress=session.progress_reporter(bar),
    )
    bar.empty()
    added(
        Dataset(
            name=name,
            title=name,
            runs={request.target_lang: runs},
            source=f"projected here ({request.profile})",
            notes=notes,
        )
    )


def method_picker(*, key: str) -> list[str]:
    methods = available_methods()
    return st.multiselect(
        "Methods to compare",
        methods,
        default=[m for m in ("heuristic", "ngram-greedy") if m in methods],
        key=key,
        help="Translation, NER and alignment run once; each further method only re-projects.",
    )


def loaded_view(*, loaded: Mapping[str, Dataset]) -> None:
    """The data sets of this session, one row each."""
    st.markdown("#### Data sets in this session")
    if not loaded:
        st.caption("None yet.")
        return
    overview = pd.DataFrame(
        [
            {
                "data set": dataset.title,
                "languages": ", ".join(dataset.langs),
                "methods": ", ".join(sorted({m for lang in dataset.langs for m in dataset.methods(lang)})),
                "sentences": sum(dataset.n_sentences(lang) for lang in dataset.langs),
                "from": dataset.source,
            }
            for dataset in loaded.values()
        ]
    )
    st.dataframe(overview, hide_index=True, width="stretch")


def records_view(*, key: str = "records") -> None:
    """Open JSONL records written by the command line: uploaded, or a file or folder in the data folders."""
    st.markdown(
        "JSONL records written by `python -m projection project ... --out OUT.jsonl` (or a folder of them, "
        "one file per method)."
    )
    files = st.file_uploader("Record files", type=["jsonl", "gz"], accept_multiple_files=True, key=f"{key}_upload")
    path_text = st.text_input("…or a file or folder on this machine", key=f"{key}_path")
    name = st.text_input("Name", key=f"{key}_name", placeholder="e.g. swahili-run-3")

    def open_records() -> None:
        if files:
            folder = upload_folder(file.getvalue() for file in files)
            uploaded_paths(files, folder)
            dataset = load_records_folder(folder, name=name.strip() or Path(files[0].name).stem)
            dataset.source = "upload"
        elif path_text.strip():
            dataset = load_records_folder(typed_path(path_text), name=name.strip() or None)
        else:
            raise ProjectionError("Upload record files or type the path of a file or folder of them.")
        added(dataset)

    if st.button("Open", key=f"{key}_open", icon=":material/folder_open:"):
        attempt(open_records)


def labelled_view(*, profile: str, key: str = "labelled") -> None:
    """Project a labelled CoNLL or JSONL file here, in either direction."""
    st.markdown("A CoNLL or JSONL file of labelled sentences, projected here with the sidebar's model profile.")
    upload = st.file_uploader("Labelled file", type=LABELLED_TYPES, key=f"{key}_upload")
    path_text = st.text_input("…or its path on this machine", key=f"{key}_path")
    direction = st.radio(
        "What are these sentences?",
        ["translate-test", "translate-train"],
        format_func={
            "translate-test": "Gold-labelled target sentences: translate, label, project back, score (translate-test)",
            "translate-train": "Labelled source sentences: translate them and project onto the translation",
        }.get,
        key=f"{key}_direction",
    )
    langs = st.columns(2)
    file_lang = langs[0].text_input("Language of the file", value="es", key=f"{key}_lang")
    other_lang = langs[1].text_input(
        "NER language (translate-test) / target language (translate-train)", value="en", key=f"{key}_other"
    )
    methods = method_picker(key=f"{key}_methods")
    own_labels = st.checkbox(
        "Use the file's own labels as the source entities (translate-train)", value=True, key=f"{key}_gold"
    )
    name = st.text_input("Name", key=f"{key}_name", placeholder="e.g. my-spanish-test")

    def project() -> None:
        path = one_input(upload, path_text, "labelled file")
        # imported on use: the pipeline loads spaCy, which only projecting new data needs
        from projection.pipeline.inputs import load_sentences

        if path.suffix in (".jsonl", ".gz") and holds_records(path):
            raise ProjectionError(
                f"{path.name} holds projection records, i.e. output that is already projected: open it in the "
                "'Open projected output' tab instead."
            )
        notes = ReadNotes()
        sentences = load_sentences(path, file_lang.strip(), notes=notes)
        test = direction == "translate-test"
        request = RunRequest(
            direction=direction,
            source_lang=other_lang.strip() if test else file_lang.strip(),
            target_lang=file_lang.strip() if test else other_lang.strip(),
            methods=tuple(methods),
            profile=profile or None,
            labeller="gold" if own_labels and not test else None,
        )
        run_pipeline(name.strip() or path.stem, request, sentences, None, notes=notes)

    if st.button("Project", key=f"{key}_run", icon=":material/play_arrow:", type="primary"):
        attempt(project)


def bitext_view(*, profile: str, key: str = "bitext") -> None:
    """Project a bitext of raw text here (translate-train): two line-aligned files or one TSV."""
    st.markdown(
        "Two line-aligned files of raw text (or one TSV: source, tab, target). The source side is labelled with "
        "the profile's NER model and projected onto the target side (translate-train)."
    )
    sides = st.columns(2)
    src_upload = sides[0].file_uploader("Source side (or the TSV)", key=f"{key}_src_upload")
    tgt_upload = sides[1].file_uploader("Target side", key=f"{key}_tgt_upload")
    src_path = sides[0].text_input("…or the source path", key=f"{key}_src_path")
    tgt_path = sides[1].text_input("…or the target path", key=f"{key}_tgt_path")
    src_lang = sides[0].text_input("Source language", value="en", key=f"{key}_src_lang")
    tgt_lang = sides[1].text_input("Target language", value="sw", key=f"{key}_tgt_lang")
    methods = method_picker(key=f"{key}_methods")
    priors = priors_picker(src_lang.strip(), tgt_lang.strip(), key=f"{key}_priors")
    name = st.text_input("Name", key=f"{key}_name", placeholder="e.g. mafand-en-swa-dev")

    def project() -> None:
        src = one_input(src_upload, src_path, "source side")
        tgt = None if tgt_upload is None and not tgt_path.strip() else one_input(tgt_upload, tgt_path, "target side")
        # imported on use: the pipeline loads spaCy, which only projecting new data needs
        from projection.pipeline.inputs import load_bitext

        notes = ReadNotes()
        sources, targets = load_bitext(src, tgt, src_lang.strip(), tgt_lang.strip(), notes=notes)
        request = RunRequest(
            direction="translate-train",
            source_lang=src_lang.strip(),
            target_lang=tgt_lang.strip(),
            methods=tuple(methods),
            profile=profile or None,
            priors=priors or None,
        )
        run_pipeline(name.strip() or src.stem, request, sources, targets, notes=notes)

    if st.button("Project", key=f"{key}_run", icon=":material/play_arrow:", type="primary"):
        attempt(project)


selected = sidebar.frame()
flash = st.session_state.pop(session.FLASH, None)
if flash:
    loaded_message, reading_notes = flash
    st.success(plain(loaded_message))
    if reading_notes:
        st.warning("\n\n".join(plain(line) for line in reading_notes))
    st.page_link(session.PAGES["inspect"], label="Inspect it", icon=":material/search:")
loaded_view(loaded=session.datasets())
show_priors_used(session.datasets().values())
st.caption(
    plain(
        f"Uploads are limited to {LIMIT_MB} MB per file; for larger files type their path on this machine, or run "
        "the command line and open its output here. Typed paths are read only inside "
        f"{', '.join(str(root) for root in data_roots())} (more with {ROOTS_ENV} when starting the app)."
    )
)
records_tab, labelled_tab, bitext_tab = st.tabs(
    ["Open projected output", "Project labelled sentences", "Project a bitext"]
)
with records_tab:
    records_view()
with labelled_tab:
    labelled_view(profile=selected.profile)
with bitext_tab:
    bitext_view(profile=selected.profile)
