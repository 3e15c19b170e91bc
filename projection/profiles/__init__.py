"""Named profiles: small YAML files that pick an implementation for each stage."""
