"""Gates: built folders -> frictionless validation and the identifier scan."""
