# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .crm_mall_display import CHANNEL_PREFIX
from .crm_mall_queue_ticket import TICKET_CHANNEL_PREFIX


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """A waiting-room screen asks for ``crm_mall_display:<token>``: it gets
        its screen's channel if the token is valid, else nothing.

        The string itself is never subscribed to (nothing is sent on it); the
        channel given is the screen record with its token's hash, which a
        client cannot name, so a replaced or revoked token receives no more
        numbers from its next subscription on.
        """
        channels = list(channels)  # do not alter the caller's list
        Display = self.env["crm.mall.display"]
        Ticket = self.env["crm.mall.queue.ticket"]
        for channel in list(channels):
            if isinstance(channel, str) and channel.startswith(CHANNEL_PREFIX):
                channels.remove(channel)
                display = Display._from_token(channel[len(CHANNEL_PREFIX) :])
                if display:
                    channels.append(display._crm_mall_channel())
            elif isinstance(channel, str) and channel.startswith(TICKET_CHANNEL_PREFIX):
                # a phone following its number: the same, with its ticket's token
                channels.remove(channel)
                ticket = Ticket._from_token(channel[len(TICKET_CHANNEL_PREFIX) :])
                if ticket:
                    channels.append(ticket._pocket_channel())
        return super()._build_bus_channel_list(channels)
