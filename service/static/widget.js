/* the chat widget: see the widget issue */
