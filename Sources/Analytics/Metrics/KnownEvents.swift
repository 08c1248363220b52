/// The track event names earshot recognises: the Segment Spec semantic events it cares about
/// and the survey events (Segment-style and PostHog's). The single source of the `known` flag
/// of ``EventNameCount``; listed in docs/DEFINITIONS.md.
public enum KnownEvents {
    /// Segment Spec, E-commerce v2.
    public static let ecommerce: [String] = [
        "Products Searched", "Product List Viewed", "Product List Filtered",
        "Promotion Viewed", "Promotion Clicked",
        "Product Clicked", "Product Viewed", "Product Added", "Product Removed",
        "Cart Viewed", "Checkout Started", "Checkout Step Viewed", "Checkout Step Completed",
        "Payment Info Entered", "Order Updated", "Order Completed", "Order Refunded", "Order Cancelled",
        "Coupon Entered", "Coupon Applied", "Coupon Denied", "Coupon Removed",
        "Product Added to Wishlist", "Product Removed from Wishlist", "Wishlist Product Added to Cart",
        "Product Shared", "Cart Shared", "Product Reviewed",
    ]
    /// Segment Spec, Email.
    public static let email: [String] = [
        "Email Bounced", "Email Delivered", "Email Link Clicked", "Email Marked as Spam", "Email Opened", "Unsubscribed",
    ]
    /// Segment Spec, Live Chat.
    public static let liveChat: [String] = [
        "Live Chat Conversation Started", "Live Chat Conversation Ended", "Live Chat Message Sent", "Live Chat Message Received",
    ]
    /// Segment's consent management event.
    public static let consent: [String] = ["Segment Consent Preference Updated"]
    /// Survey events (Segment-style and PostHog's names).
    public static let surveys: [String] =
        FeedbackMetrics.promptNames + FeedbackMetrics.responseNames + FeedbackMetrics.dismissalNames

    /// Every known name (exact, case-sensitive match).
    public static let all: Set<String> = Set(ecommerce + email + liveChat + consent + surveys)

    /// Whether `name` is a known event name.
    public static func isKnown(_ name: String) -> Bool { all.contains(name) }
}
