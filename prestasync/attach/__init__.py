"""Attach mode: prestasync on a merchant's existing PrestaShop and ERP databases, without harm.

Nothing here installs, reconfigures, restarts or stops a server, or creates or alters an application
user. What needs privileges is written as SQL for a DBA (``dba``), applied only with an admin credential
given for that one run; ``check`` verifies everything read-only, as the capture users themselves.
"""
