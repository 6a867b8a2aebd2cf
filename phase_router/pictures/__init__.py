"""Pictures: sweep plots (``plots``) and PBM/PNG dumps of every pipeline stage (``stage_dump``)."""
