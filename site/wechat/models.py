from django.db import models


class SeenCallback(models.Model):
    """A callback nonce or message already seen (`wechat.replay`): one row per key, inserted in
    one atomic statement, so two processes handling WeChat's retries of a message cannot both
    take it for new. A cache's add is not atomic on every backend (Django's file cache), hence
    the database. The key is hashed: no openid is stored. Rows older than a day are purged."""

    key = models.CharField(max_length=80, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "已收到的微信回调"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.key
