"""A local server speaking the wire formats of the four platforms, persisting to SQLite.

Run ``dataplatforms-emulator serve`` (or ``python -m pulumi_dataplatforms_emulator serve``) and
``eval "$(dataplatforms-emulator env)"`` for the clients' base URLs and development keys. Each
platform is one package under :mod:`.services` exporting a :class:`~.services.spec.ServiceSpec`,
listed in :data:`.services.SERVICES`. ``/_admin`` resets state, dumps it, injects faults, sets
lifecycle delays and reports request counts; ``/docs`` shows every emulated route.
"""
