"""The sink framework shared by every target system: errors, status tables, handlers, the worker."""
