"""CLI verbs beyond check and build, one module each; importing one registers its verb
on `cli`. Nothing is imported here: cli.py imports the module of the verb asked for
(VERB_MODULES), so `foundry init` does not import the importers or the diff."""
