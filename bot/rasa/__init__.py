"""Everything that plugs into Rasa or talks to it, apart from the web app's own modules.

What each one changes in Rasa, and why (details in each module's docstring):

- ``run``: ``python -m bot.rasa.run run ...`` is ``rasa run ...`` with five costs per message
  removed behind one ``install()`` (schemas compiled once, kept-alive loopback sessions,
  concurrent NLG calls of one action, DIET's traced graph, an event-type table). Each
  replacement is tested against Rasa's own method for the same result (tests/unit/test_rasa_run.py).
- ``nlg``: Rasa's callback NLG posting only the user messages our NLG endpoint reads, not the
  whole tracker (endpoints*.yml ``nlg.type``); the request format is unchanged.
- ``tracker_store``: an in-memory tracker store that forgets a conversation when its session
  expires (Rasa's own keeps it until the process stops); endpoints.yml ``tracker_store.type``.
  With Redis, Rasa's own store with ``record_exp`` does the same (endpoints-redis.yml).
- ``nlu_intent``, ``nlu_needs``, ``nlu_danger``: NLU components at the end of config.yml's
  pipeline that replace the classifier's intent where a wrong one would harm: a phone number
  is the booking's answer, a stated need (under 18, honour, using violence) outranks the topic,
  and acute danger (bot/danger.py) wins over everything.
- ``workers``: not a Rasa plugin but the web app's side of talking to Rasa: which worker
  answers a conversation, and draining one during a model roll.

Rasa is pinned (constraints.txt); a Rasa upgrade must re-run tests/unit/test_rasa_*.py.
"""
