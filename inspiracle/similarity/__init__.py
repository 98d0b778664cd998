"""Near-duplicate search over perceptual hashes (WRK-9): ``hashing`` makes keys, ``index`` searches them.

Plain Python and numpy, no models: the pipeline stores the keys and keeps an index loaded.
"""
