// Nested choices, gathers, labels and stitches: the flow a scene flattens.
// A divert that ends a line of text (or a choice's text) continues that line with the
// next text after one space, written or not: "Night falls. The fire crackles."
VAR trust = 0
VAR name = ""
VAR armed = false

Night falls.-> camp

=== camp ===
The fire crackles. A stranger sits across it.
* "Who are you?"
  "A traveller," she says.
  ** "Where from?"
     "The north."
     ~ trust += 1
  ** [Say nothing]
  -- She pokes the fire.
* [Draw your sword]
  ~ armed = true
  She watches the blade.
* (wait) [Wait]
- (talk) The night goes on.
~ trust = trust + 1
+ {trust >= 2} [Share your food] -> camp.share
+ {armed} [Sheathe the sword]
  ~ armed = false
  -> talk
+ [Sleep] -> morning

= share
~ name = "Ysolde"
She eats. "I am Ysolde," she says.
+ Ask her to travel with you -> morning.together
+ [Say goodnight] -> morning

=== morning ===
Dawn.
-> END

= together
You set off together.
-> DONE
