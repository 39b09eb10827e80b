"""The errors our code raises on purpose.

MediashareError
├── SettingsError
├── ValidationFailed
├── NotFound
├── Conflict
├── NotSignedIn
├── PermissionDenied
├── InsufficientCredits
├── PaymentRequired
├── AccountLocked
├── InvalidCredentials
├── InvalidToken
├── TooManyRequests
├── FetchRefused
└── FetchFailed

str(error) is a sentence a user (or an operator, for SettingsError) can read and act on.
"""


class MediashareError(Exception):
    """Base of every error we raise deliberately; the message is safe to show."""


class SettingsError(MediashareError):
    """The environment holds a setting we cannot run with."""


class ValidationFailed(MediashareError):
    """Input was rejected; `field` names the offending input when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(MediashareError):
    """The thing asked for does not exist, or the actor may not know it exists."""


class Gone(NotFound):
    """It existed but is no more: a revoked or expired share link (HTTP 410)."""


class Conflict(MediashareError):
    """The change collides with existing data (a taken username, say)."""


class NotSignedIn(MediashareError):
    """No valid session: the user must sign in (again)."""

    def __init__(self, message: str = "Please sign in to continue.") -> None:
        super().__init__(message)


class PermissionDenied(MediashareError):
    """The actor is signed in but may not do this."""


class InsufficientCredits(MediashareError):
    """A debit larger than the balance: nothing was moved."""

    def __init__(self, *, balance: int, needed: int, message: str | None = None) -> None:
        super().__init__(message or f"You need {needed:,} credits but have {balance:,}.")
        self.balance, self.needed = balance, needed


class PaymentRequired(MediashareError):
    """Paid content asked for without having paid for it (no open play window)."""


class InvalidCredentials(MediashareError):
    """Login failed; the same sentence whether or not the account exists."""

    def __init__(self) -> None:
        super().__init__("That username or email and password do not match an account.")


class AccountLocked(MediashareError):
    """Too many failed logins: the account is locked for a while."""

    def __init__(self, *, minutes: int) -> None:
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(
            f"This account is locked after too many failed sign-ins. Try again in {minutes} {unit}."
        )
        self.minutes = minutes


class InvalidToken(MediashareError):
    """A link or code that is forged, expired, already used, or no longer matches the account."""


class TooManyRequests(MediashareError):
    """Slow down: the same action was asked for too often; `minutes` says how long to wait, if known."""

    def __init__(self, message: str, *, minutes: int | None = None) -> None:
        super().__init__(message)
        self.minutes = minutes


class FetchRefused(MediashareError):
    """An outgoing fetch was refused by the SSRF guard (scheme, host, address or redirect not allowed)."""


class FetchFailed(MediashareError):
    """An allowed outgoing fetch did not work: unreachable, too slow, too large or the wrong kind of answer."""
