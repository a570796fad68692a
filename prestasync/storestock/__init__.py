"""The store-stock lookup: the streams' store figures served over HTTP to the shop's product page."""
