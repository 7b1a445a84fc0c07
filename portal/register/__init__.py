"""The owner register (电子投票数据库): units, owners, areas, ID numbers."""
