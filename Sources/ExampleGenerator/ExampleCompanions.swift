/// The files that come with the example store besides its events: the rules and the configuration its data is made
/// for, so that `earshot DIR` on a freshly generated store shows segments, loops and journeys at once and reads its
/// surveys as the committed ExampleData does. `ExampleData/` holds exactly these
/// (`ExampleGeneratorTests` checks it).
public enum ExampleCompanions {
    /// `shop.segments`: the segment rules of the example shop.
    public static let segments = """
# "Arrived through an email click, then looked at a baby product the same day"
segment "Baby shopper intent":
    did "Email Link Clicked" then did "Product Viewed" where category = "baby" within 1d

segment "Gift buyer":
    did "Product Viewed" where category = "baby" and did "Product Viewed" where category = "gifts"

segment "Chat regulars":
    did "Survey Sent" where channel = "chat" at least 2 times in last 30d

segment "Lapsed buyers":
    did "Order Completed" and not did "Order Completed" in last 60d

segment "Coastal, email preferred":
    trait region = "coastal" and trait preferred_channel in ["email", "sms"]

score likely_parent = 2 * count("Product Viewed" where category = "baby") + minutes_in(section "baby") / 5 + minutes_in(section "sale") / 10

segment "Likely parent":
    likely_parent >= 10 and not in "Gift buyer"

# Answered a survey with 9 or 10 (the NPS promoters of every channel that sends "Survey Sent")
segment "NPS promoters":
    did "Survey Sent" where score >= 9

# Bought something and answered the follow-up survey that came weeks later
segment "Post-purchase responders":
    did "Order Completed" and did "Survey Sent" where channel = "post_purchase"

# Keeps coming back to the sale pages but has not ordered in the last 30 days
segment "Sale browsers, no recent order":
    did page where section = "sale" at least 3 times and not did "Order Completed" in last 30d

# Ordered at least one product of the baby category (the order's `products` list, Segment's e-commerce spec)
segment "Bought for a baby":
    did "Order Completed" where products[].category = "baby"

# What a person's orders were worth: price × quantity of every product ordered (a missing quantity counts 1)
score basket_value = sum(products[].price * products[].quantity of "Order Completed")

segment "Big baskets":
    basket_value >= 150

# Follow-ups within a promise: every late delivery gets an apology within a day
loop "Late delivery apology":
    when did "Order Delivered" where late = true
    expect did "Apology Sent"
    within 1d

# Every detractor (NPS 0-6) is contacted by support or a recovery e-mail within three days
loop "Detractor follow-up":
    when answered nps <= 6
    expect did "Support Ticket Created" or did "Email Sent" where campaign = "recovery"
    within 3d

# After a baby newsletter: shopping for someone else's baby (gifts) or for one's own (sale)?
journey "After a baby email":
    from did "Email Link Clicked" where category = "baby" steps 3 within 30m

# The sections visited before each order (nearest first): checkout, cart, then where they shopped
journey "Led to an order":
    before did "Order Completed" steps 3

"""

    /// `earshot.yaml`: the configuration the example data is made for (its survey catalog: question texts and types,
    /// so that only the NPS surveys' 0–10 scores count as NPS).
    public static let config = """
# earshot configuration of the example shop "Nestling & Co" (docs/CONFIG.md).
# earshot reads it because it sits at the top of the store; `--config FILE` names another one.
# The shop uses earshot's own event names, so `feedback` only spells out the defaults.

analytics_category: Analytics

feedback:
  prompt_events: [Survey Shown, survey shown]          # PostHog's names too
  answer_events: [Survey Sent, survey sent]
  dismissal_events: [Survey Dismissed, survey dismissed]
  survey_id_fields: [survey_id, $survey_id]
  channel_fields: channel
  score_fields: [score, survey_response, $survey_response]
  answer_fields: [survey_response, $survey_response, answers]   # answers: the chat scripts' [{id, value}] list
  survey_type_fields: survey_type

# The trait that states a customer's preferred channel (feedback.preferred_channel), and trait values that name
# a channel differently from the events (matched ignoring case).
preferred_channel:
  trait: preferred_channel
  values: {text: sms, mail: email}

surveys:
\(ChatScript.all.map(\.catalogYAML).joined())  gift_budget:
    name: Gift budget (chat bot)
    questions:
      - id: gift_budget
        text: What would you like to spend on that gift?
        type: open
  chat_nps:
    name: Chat NPS
    questions:
      - id: score
        text: How likely are you to recommend Nestling & Co to a friend (0–10)?
        type: nps
  post_purchase_nps:
    name: Post-purchase NPS
    questions:
      - id: score
        text: How likely are you to recommend Nestling & Co to a friend?
        type: nps
      - id: comment
        text: Anything we could do better?
        type: open
  nps_email_01:
    name: NPS e-mail, first wave
    questions:
      - {id: score, type: nps}
      - {id: comment, type: open}
  nps_email_02:
    name: NPS e-mail, second wave
    questions:
      - {id: score, type: nps}
      - {id: comment, type: open}
  delivery_sms:
    name: Delivery NPS by SMS
    questions:
      - {id: score, type: nps}
  onsite_nps:
    name: On-site NPS (modal)
    questions:
      - {id: score, type: nps}
  site_feedback:
    name: Site feedback
    questions:
      - {id: feedback, text: What should we improve?, type: open}
  01928f7e-5c2a-7b3d-9e41-2f6a8c0d1b55:
    name: On-site NPS
    questions:
      - {id: score, text: How likely are you to recommend us to a friend?, type: nps}

"""

    /// Every companion file: name in the store's root → contents.
    public static let files: [(name: String, contents: String)] = [
        ("shop.segments", segments),
        ("earshot.yaml", config),
    ]
}
