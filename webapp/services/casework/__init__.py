"""The casework core: start a case, work its tasks, mirror the engine, close it, decide who may read what."""
