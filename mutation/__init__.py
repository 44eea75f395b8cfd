"""Mutation testing of the modules that hold the rules (``bin/mutate``).

cosmic-ray makes the mutants; ``runner`` runs, for each one, only the fast tests that
execute the mutated line, in parallel copies of the project."""
