"""Reports: the ``neurogeom analyze`` job that runs every applicable analysis and writes files."""
