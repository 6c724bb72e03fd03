"""The coder: ``Article -> CodedDoc`` through named stages. Never touches a file, a store
or the network.

    config.py     CoderConfig and the defaults every command shares
    resources.py  the models and dictionaries, loaded once per coder
    document.py   Article (the input record), CodedDoc and its parts
    coder.py      Coder: the driver loop over the stages
    stages/       one module per stage (see stages/__init__.py for the order)
    classify.py   the best event between two given actors (``allegiance classify``)
    text.py       sentence splitting and the English check
    lexicon.py    the English word lists the rules match (data/lexicon/*.txt)
"""
