"""Reading and writing phase-router's files: matrices (the formats in io/matrix_formats: PBM P1/P4,
NPY, SciPy sparse NPZ), routes, stats."""

from .degrees import read_degrees
from .atomic import OutputBatch, atomic_output, output_batch
from .matrix_writer import WrittenMatrix, chunk_rows, write_matrix_chunks
from .matrix_files import detect_format, read_matrix, read_row_degrees, read_weight_matrix
from .npy import NpyHeader, load_npy, npy_matrix_shape, npy_row_degrees, read_npy_header, read_npy_matrix
from .pbm import PbmHeader, pbm_row_degrees, read_header, read_pbm, read_pbm_packed, write_pbm
from .sinks import write_routes, write_routing_pbm
from .output_formats import route_format, routing_matrix, write_json

__all__ = [
    "NpyHeader",
    "OutputBatch",
    "PbmHeader",
    "WrittenMatrix",
    "chunk_rows",
    "atomic_output",
    "detect_format",
    "load_npy",
    "npy_matrix_shape",
    "npy_row_degrees",
    "output_batch",
    "pbm_row_degrees",
    "read_degrees",
    "read_header",
    "read_matrix",
    "read_weight_matrix",
    "read_npy_header",
    "read_npy_matrix",
    "read_pbm",
    "read_pbm_packed",
    "read_row_degrees",
    "route_format",
    "routing_matrix",
    "write_json",
    "write_matrix_chunks",
    "write_pbm",
    "write_routes",
    "write_routing_pbm",
]
