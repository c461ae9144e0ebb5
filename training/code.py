"""``spacy train --code`` for kgbuild's configs: registers the gazetteer components and the training augmenter."""
import kgbuild.models.augment  # noqa: F401  (kgbuild.name_swap.v1)
import kgbuild.models.gazetteer  # noqa: F401  (kgbuild_gazetteer, kgbuild_gazetteer_reset)
import kgbuild.nlp  # noqa: F401  (kgbuild_lemmatizer)
