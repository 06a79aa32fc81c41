// ink's temporary variables (`~ temp`): each becomes a story variable set where the temp is
VAR gold = 1
-> camp
=== camp ===
~ temp wage = gold * 2
~ temp rich = wage > 3
~ temp who = "guard"
The fire burns low.
+ {rich} [Buy a sword] -> shop
+ {not rich} [Work]
  ~ temp tired = true
  You work until dark.
  ~ gold = gold + wage
  + + {tired} [Rest] -> camp
  + + [Push on] -> shop.gate
+ {who == "guard"} [Leave] -> END
=== shop ===
~ temp price = gold - 1
The smith names a price.
+ {price > 1} [Haggle]
  ~ price = price - 2
  ~ gold = gold - price
  -> camp
+ [Look around] -> gate
= gate
~ temp open = gold < 6
The gate.
+ {open} [Out] -> END
+ [Back] -> camp
