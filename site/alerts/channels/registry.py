"""The registered channels. A channel module registers its class with `@register`; the
alerts app imports the built-in ones and every installed app's `alert_channels` module
(`AlertsConfig.ready`), so a new channel is a new module, not an edit of dispatch."""

from alerts.channels.base import Channel

_channels: dict[str, type[Channel]] = {}


def register(channel: type[Channel]) -> type[Channel]:
    if channel.name in _channels and _channels[channel.name] is not channel:
        raise ValueError(f"two channels named {channel.name!r}")
    _channels[channel.name] = channel
    return channel


def get(name: str) -> type[Channel]:
    try:
        return _channels[name]
    except KeyError:
        raise LookupError(f"no channel named {name!r} is registered") from None


def registered() -> list[type[Channel]]:
    """Every registered channel, in the admin's column order."""
    return sorted(_channels.values(), key=lambda channel: (channel.order, channel.name))


def enabled() -> list[type[Channel]]:
    return [channel for channel in registered() if channel.is_enabled()]
