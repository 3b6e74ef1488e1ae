"""What measures, trains and exercises Pantau, apart from what runs it: the evaluations (`eval_extract`,
`eval_tag`), the training of the NER (`train_ner`, `ner/`) and of the tagger's learned models (`train_tagger`,
`tagging/`), and the local news-site simulator (`simulator/`, the fleet of outlets in `simulator/fleet.py`).
The runtime packages never import it; `pantau eval`, `pantau demo`, the tests and bench/ do."""
