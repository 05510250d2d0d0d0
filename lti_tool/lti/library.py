"""The one place that imports the LTI library.

pyproject.toml pins `pylti1p3next` (the maintained fork); the original `PyLTI1p3` has the same import name and
the classes used here, so switching is the one dependency line. Everything else in the tool imports from this
module.
"""

from __future__ import annotations

from pylti1p3.cookie import CookieService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.deployment import Deployment as LibraryDeployment
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.message_validators import get_validators
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.registration import Registration as LibraryRegistration
from pylti1p3.request import Request
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract

__all__ = [
    "CookieService",
    "DeepLink",
    "DeepLinkResource",
    "LibraryDeployment",
    "LibraryRegistration",
    "LineItem",
    "LtiException",
    "MessageLaunch",
    "OIDCException",
    "OIDCLogin",
    "Redirect",
    "Request",
    "ServiceConnector",
    "SessionService",
    "ToolConfAbstract",
    "get_validators",
]
