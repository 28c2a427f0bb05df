"""公众号 followers: their community bindings (`bindings`), the answers to what they send
(`replies`) and the callback endpoint WeChat's servers call (`callback`)."""
