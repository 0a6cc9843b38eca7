"""`istc export`: the dataset as relational tables, written as SQLite or a Data Package.

`tables.py` turns the dataset into tables once (rows, keys, link tables, column
descriptions); `sqlite.py` and `datapackage.py` only write those tables, so the two
exports cannot disagree about the data's shape. `files.py` writes atomically. Nothing
here is imported unless `istc export` runs.
"""
