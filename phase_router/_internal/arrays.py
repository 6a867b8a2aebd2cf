"""Foreign array inputs: SciPy sparse matrices/arrays, and anything with ``__dlpack__`` or
``__array__`` (PyTorch CPU tensors, JAX/CuPy host arrays, array-API libraries).

Nothing here imports SciPy or PyTorch: a SciPy object is recognised by its type's module, and
DLPack exchange goes through NumPy. Sparse inputs are reduced to row sums from their CSR
structure, without ever building the dense matrix."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidInputError

DLPACK_CPU = 1  # kDLCPU in the DLPack device enum


def is_scipy_sparse(obj: object) -> bool:
    """A scipy.sparse matrix or array (any format), recognised without importing SciPy."""
    return type(obj).__module__.startswith("scipy.sparse") and hasattr(obj, "tocsr") and hasattr(obj, "nnz")


def sparse_row_degrees(matrix: Any, name: str) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row of a SciPy sparse 0/1 matrix (duplicates summed first, explicit zeros not
    counted) and its shape; values other than 0 and 1 are refused with their position."""
    if len(matrix.shape) != 2:
        raise InvalidInputError(f"{name} must be a 2-D 0/1 matrix, got a {len(matrix.shape)}-D sparse array")
    rows, cols = (int(x) for x in matrix.shape)
    csr = matrix.tocsr(copy=True)
    csr.sum_duplicates()  # COO/CSR may list (i, j) twice; the matrix value is their sum
    data = np.asarray(csr.data)
    if data.dtype.kind not in "buif":
        raise InvalidInputError(f"{name} must hold 0/1 values (bool, integer or float), got dtype {data.dtype}")
    if data.dtype.kind == "f" and not np.all(np.isfinite(data)):
        raise InvalidInputError(f"{name} contains NaN or infinite values; only 0 and 1 are allowed")
    indptr = np.asarray(csr.indptr, dtype=np.int64)
    bad = np.flatnonzero((data != 0) & (data != 1))
    if bad.size:
        first = int(bad[0])
        r = int(np.searchsorted(indptr, first, side="right") - 1)
        c = int(csr.indices[first])
        raise InvalidInputError(f"{name} must contain only 0 and 1, found {data[first].item()!r} at row {r}, column {c}")
    ones = np.concatenate(([0], np.cumsum(data != 0, dtype=np.int64)))
    return (ones[indptr[1:]] - ones[indptr[:-1]]).astype(np.uint32), (rows, cols)


def as_numpy(obj: object, name: str) -> Any:
    """NumPy view (zero-copy where possible) of a foreign array; other objects are returned as is
    (np.asarray then handles lists, scalars and NumPy arrays as before)."""
    if isinstance(obj, np.ndarray) or not (hasattr(obj, "__dlpack__") or hasattr(obj, "__array__")):
        return obj
    if hasattr(obj, "__dlpack_device__"):
        device = obj.__dlpack_device__()
        if int(device[0]) != DLPACK_CPU:
            raise InvalidInputError(f"{name} is on a non-CPU device (DLPack device {tuple(int(x) for x in device)}); "
                                    f"move it to the CPU first, e.g. {name}.cpu()")
    if hasattr(obj, "__dlpack__"):
        try:
            return np.from_dlpack(obj)
        except (TypeError, BufferError, RuntimeError, ValueError) as exc:
            if not hasattr(obj, "__array__"):
                raise InvalidInputError(f"{name} cannot be read through DLPack: {_one_line(exc)}") from None
    try:
        return np.asarray(obj)
    except (TypeError, RuntimeError, ValueError) as exc:  # e.g. a tensor that requires grad
        raise InvalidInputError(f"{name} cannot be converted to a NumPy array: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def routes_to_csr(routes: np.ndarray, E: int) -> Any:
    """The routing matrix O as a ``scipy.sparse.csr_array`` (M x E, one True per route, columns
    ascending within each row, int32 indices)."""
    from .optional import require

    sparse = require("scipy.sparse", "scipy", "Routing.to_scipy()")
    active = routes >= 0
    indptr = np.zeros(routes.shape[0] + 1, dtype=np.int32 if routes.size < 2**31 else np.int64)
    np.cumsum(np.count_nonzero(active, axis=1), out=indptr[1:])
    indices = routes[active]  # row-major: each row's targets, already ascending
    data = np.ones(indices.size, dtype=bool)
    return sparse.csr_array((data, indices.astype(indptr.dtype, copy=False), indptr), shape=(routes.shape[0], E))


def routes_to_torch(routes: np.ndarray) -> Any:
    """The M x k int32 routes as a torch tensor sharing their memory (DLPack, no copy)."""
    from .optional import require

    torch = require("torch", "torch", "Routing.to_torch()")
    return torch.from_dlpack(np.ascontiguousarray(routes))
