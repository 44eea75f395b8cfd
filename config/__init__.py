"""Project configuration. One BLAS thread per process: the ranking's matrices are small
(jurors × jurors), and on a server whose cores are shared, OpenBLAS's worker threads wait
for each other on every small LAPACK call (measured: 30 ms instead of 0.1 ms per 30 × 30
eigendecomposition on two busy cores). Set before numpy is first imported, which happens
only when the apps load, after the settings; an operator's own setting wins."""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
