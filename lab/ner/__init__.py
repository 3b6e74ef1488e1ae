"""Training and scoring of the NER model that extract/ner loads: CoNLL reading, augmentation, Pantau's domain
sentences, the spaCy training config."""
