"""Disclose: the private register -> anonymised microdata and tables perturbed by the cell key method."""
