"""Owners are told (DOMAIN.md, "Notifications and proof of delivery"): a queue in the database
filled in the event's own transaction, drained after commit over WeChat template messages or SMS,
with a record per owner group of what was sent, what the channel answered and when the notice
or ballot was first opened."""
