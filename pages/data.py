"""Data: the workspace's data sets, and loading more — projected output, labelled sentences or a bitext.

Everything loaded or projected here is kept in the workspace
(:mod:`projection.app_support.workspace`), so it is there after a reload or a
restart. A path typed here is read only inside the data folders of
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
from projection.app_support.glossary import explain_direction, explain_method, explain_profile
from projection.app_support.markdown_text import plain
from projection.app_support.preflight import MissingModel, stage_overrides
from projection.app_support.priors_choice import priors_picker, show_priors_used
from projection.app_support.runner import MissingModels, RunRequest, available_methods, run_methods
from projection.app_support.user_data import (
    check_upload_size,
    holds_records,
    language_of_file,
    read_refusal,
    save_upload,
    upload_folder,
)
from projection.cache import DEFAULT_CACHE_DIR, Cache
from projection.data import Sentence
from projection.errors import ProjectionError
from projection.languages import find_language
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
    """Keep the data set in the workspace, and rerun so that the sidebar selects it (and this page says what
    reading noticed)."""
    try:
        kept = session.add_dataset(dataset)
    except ProjectionError as err:
        kept, problem = dataset, [str(err)]
    else:
        problem = []
    st.session_state[session.FLASH] = (
        f"Loaded {kept.title}: {', '.join(kept.langs)}, "
        f"{sum(kept.n_sentences(lang) for lang in kept.langs)} sentences. It is now selected in the sidebar.",
        [*problem, *dataset.notes.messages()],
    )
    st.rerun()


def run_pipeline(
    name: str,
    request: RunRequest,
    sentences: list[Sentence],
    targets: list[Sentence] | None,
    *,
    notes: ReadNotes,
    key: str,
) -> None:
    """Run the methods with a progress bar that never outlives the run; models missing are asked for."""
    bar = st.progress(0.0, text="Checking the models …")
    try:
        runs = run_methods(
            request, sentences, targets, cache=Cache(DEFAULT_CACHE_DIR), progress=session.progress_reporter(bar)
        )
    except MissingModels as missing:
        st.session_state[f"{key}_missing"] = (str(missing), missing.missing)
        st.rerun()  # the page asks for the models, above the button
    finally:
        bar.empty()
    st.session_state.pop(f"{key}_missing", None)
    added(
        Dataset(
            name=name,
            title=name,
            runs={request.target_lang: runs},
            source=f"projected here ({request.profile})",
            notes=notes,
        )
    )


def local_models_view(*, key: str) -> dict[str, str]:
    """What the last run lacked, and a field for a local copy of each model; returns the stage specs they give."""
    found_missing: tuple[str, list[MissingModel]] = st.session_state.get(f"{key}_missing") or ("", [])
    message, missing = found_missing
    if not missing:
        return {}
    st.error(plain(message))
    folders = {}
    for found in missing:
        typed = st.text_input(
            plain(f"Folder of the {found.stage} model {found.model}"),
            key=f"{key}_model_{found.stage}",
            placeholder="/data/models/...",
            help="A folder inside the app's data folders, holding the model as saved by save_pretrained.",
        )
        if typed.strip():
            try:
                folders[found.stage] = confine(typed)
            except ProjectionError as err:
                st.error(plain(err))
    return stage_overrides(missing, folders)


def method_picker(*, key: str) -> list[str]:
    methods = available_methods()
    chosen = st.multiselect(
        "Methods to compare",
        methods,
        default=[m for m in ("heuristic", "ngram-greedy") if m in methods],
        key=key,
        help="Translation, NER and alignment run once; each further method only re-projects.",
    )
    for method in chosen:
        st.caption(plain(f"{method}: {explain_method(method)}"))
    return chosen


def language_field(label: str, *, key: str, file_name: str, fallback: str) -> str:
    """A language code box that takes the code from the file's name (``dev.swa``: ``swa``) until the user types
    one, with the language's name under it. Two- and three-letter codes are both accepted."""
    guess = language_of_file(file_name)
    named = f"{key}_file"
    if key not in st.session_state:  # drawn for the first time, or again after the page was left
        st.session_state[key] = guess or fallback
        st.session_state[named] = file_name
    elif guess is not None and st.session_state.get(named) != file_name:  # another file: its language
        st.session_state[key] = guess
        st.session_state[named] = file_name
    code = st.text_input(label, key=key).strip()
    found = find_language(code)
    if found is not None:
        st.caption(plain(f"{found.name} ({', '.join(sorted(set(found.codes)))})"))
    elif code:
        st.caption(plain(f"{code}: a code the language table does not know; words are split by a general rule."))
    return code


def loaded_view(*, loaded: Mapping[str, Dataset]) -> None:
    """The data sets of the workspace, one row each, and a way to take one out."""
    st.markdown("#### Data sets in the workspace")
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
                "corrections key": dataset.store_key,
            }
            for dataset in loaded.values()
        ]
    )
    st.dataframe(overview, hide_index=True, width="stretch")
    st.caption(
        "Kept on this server until removed, for everyone who uses it. The corrections key is what "
        "`python -m projection export --dataset KEY` takes to merge this data set's corrections."
    )
    removable = {ident: dataset for ident, dataset in loaded.items() if dataset.source != "built-in example"}
    if removable:
        pick, remove = st.columns([3, 1], vertical_alignment="bottom")
        titles = sidebar.dataset_titles(loaded)
        chosen = pick.selectbox(
            "Data set to remove", list(removable), format_func=titles.__getitem__, key="data_remove"
        )
        if remove.button("Remove from the workspace", key="data_remove_go", icon=":material/delete:"):
            session.remove_dataset(removable[chosen])
            st.rerun()


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
    directions = ["translate-test", "translate-train"]
    direction = st.radio(
        "What are these sentences?",
        directions,
        format_func={
            "translate-test": "Gold-labelled target sentences: translate, label, project back, score (translate-test)",
            "translate-train": "Labelled source sentences: translate them and project onto the translation",
        }.get,
        captions=[plain(f"{name}: {explain_direction(name)}") for name in directions],
        key=f"{key}_direction",
    )
    langs = st.columns(2)
    with langs[0]:
        file_lang = language_field(
            "Language of the file", key=f"{key}_lang", file_name=upload.name if upload else path_text, fallback="es"
        )
    with langs[1]:
        other_lang = language_field(
            "NER language (translate-test) / target language (translate-train)",
            key=f"{key}_other",
            file_name="",
            fallback="en",
        )
    methods = method_picker(key=f"{key}_methods")
    models = local_models_view(key=key)
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
        sentences = load_sentences(path, file_lang, notes=notes)
        test = direction == "translate-test"
        request = RunRequest(
            direction=direction,
            source_lang=other_lang if test else file_lang,
            target_lang=file_lang if test else other_lang,
            methods=tuple(methods),
            profile=profile or None,
            translator=models.get("translator"),
            labeller=models.get("labeller") or ("gold" if own_labels and not test else None),
            aligner=models.get("aligner"),
        )
        run_pipeline(name.strip() or path.stem, request, sentences, None, notes=notes, key=key)

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
    with sides[0]:
        src_lang = language_field(
            "Source language",
            key=f"{key}_src_lang",
            file_name=src_upload.name if src_upload else src_path,
            fallback="en",
        )
    with sides[1]:
        tgt_lang = language_field(
            "Target language",
            key=f"{key}_tgt_lang",
            file_name=tgt_upload.name if tgt_upload else tgt_path,
            fallback="sw",
        )
    methods = method_picker(key=f"{key}_methods")
    priors = priors_picker(src_lang.strip(), tgt_lang.strip(), key=f"{key}_priors")
    models = local_models_view(key=key)
    name = st.text_input("Name", key=f"{key}_name", placeholder="e.g. mafand-en-swa-dev")

    def project() -> None:
        src = one_input(src_upload, src_path, "source side")
        tgt = None if tgt_upload is None and not tgt_path.strip() else one_input(tgt_upload, tgt_path, "target side")
        # imported on use: the pipeline loads spaCy, which only projecting new data needs
        from projection.pipeline.inputs import load_bitext

        notes = ReadNotes()
        sources, targets = load_bitext(src, tgt, src_lang, tgt_lang, notes=notes)
        request = RunRequest(
            direction="translate-train",
            source_lang=src_lang,
            target_lang=tgt_lang,
            methods=tuple(methods),
            profile=profile or None,
            priors=priors or None,
            labeller=models.get("labeller"),
            aligner=models.get("aligner"),
        )
        run_pipeline(name.strip() or src.stem, request, sources, targets, notes=notes, key=key)

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
    plain(f"Projecting here uses the sidebar's model profile, {selected.profile}: {explain_profile(selected.profile)}.")
)
st.caption(
    plain(
        f"Uploads are limited to {LIMIT_MB} MB per file; for larger files type their path on this machine, or run "
        "the command line and open its output here. Typed paths are read only inside "
        f"{', '.join(str(root) for root in data_roots())} (more with {ROOTS_ENV} when starting the app)."
    )
)
# keyed and tracked, so that a run (which reruns the page) comes back to the tab it was started in
records_tab, labelled_tab, bitext_tab = st.tabs(
    ["Open projected output", "Project labelled sentences", "Project a bitext"], key="data_tab", on_change="rerun"
)
with records_tab:
    records_view()
with labelled_tab:
    labelled_view(profile=selected.profile)
with bitext_tab:
    bitext_view(profile=selected.profile)
