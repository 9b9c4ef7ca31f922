"""A development OpenID provider for the staff sign-in of the local stack and the tests.

Not for production: a real identity provider (the province's 统一身份认证, Keycloak, ...) takes
its place by configuration (the workbench's ``OIDC_ISSUER``, the services' ``AUTH_JWKS_URL``
and ``AUTH_EXTRA_ISSUERS``). See :mod:`suxin_devkit.oidc.provider`.
"""

from suxin_devkit.oidc.staff import DEMO_PASSWORD, DEMO_STAFF, DemoStaff

__all__ = ["DEMO_PASSWORD", "DEMO_STAFF", "DemoStaff"]
