"""The channels a notice event goes out on (`base` for the contract, `registry` to find them).
The built-in ones are imported here so that they are registered whenever alerts is loaded."""

from alerts.channels import press, robots, sms, wechat  # noqa: F401
