"""The ontologies: facts about CAMEO and PLOVER codes, read from data files.

    cameo.py   the CAMEO event codebook: names, Goldstein scores, PLOVER, QuadClass
    actors.py  CAMEO actor-code facts: the prefixes that are not states

Imports nothing else of allegiance's: every layer may use it.
"""

from __future__ import annotations

from allegiance.ontology.actors import NON_STATE_COUNTRIES, NON_STATE_PREFIXES, is_state
from allegiance.ontology.cameo import CODER_CLASSES, CameoCode, Codebook, code_class, codebook

__all__ = ["CODER_CLASSES", "NON_STATE_COUNTRIES", "NON_STATE_PREFIXES", "CameoCode", "Codebook",
           "code_class", "codebook", "is_state"]
