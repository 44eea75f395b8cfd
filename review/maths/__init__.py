"""The jury's mathematics in plain Python (numpy, pandas, OR-Tools, krippendorff): no Django,
so each module is tested on its own against hand-computed values (tests/review/maths/)."""
