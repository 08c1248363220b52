import XCTest
@testable import Analytics

final class PIIMaskerTests: XCTestCase {
    func testEmail() {
        XCTAssertEqual(PIIMasker.maskEmail("anna.schmidt@example.com"), "a•••@example.com")
        XCTAssertEqual(PIIMasker.maskText("write to anna.schmidt@example.com, please"), "write to a•••@example.com, please")
        XCTAssertEqual(PIIMasker.maskText("<yuki.becker.1129@example.co.uk>"), "<y•••@example.co.uk>")
        XCTAssertTrue(PIIMasker.isEmail(" liam@example.com "))
        XCTAssertFalse(PIIMasker.isEmail("liam@localhost"))
        // Not addresses: a handle, an @ without a domain.
        XCTAssertEqual(PIIMasker.maskText("ping @support or me@home"), "ping @support or me@home")
    }

    func testPhone() {
        XCTAssertEqual(PIIMasker.maskPhone("+49 170 1234512"), "+49 •••• ••12")
        XCTAssertEqual(PIIMasker.maskPhone("+491701234512"), "+49 •••• ••12")
        XCTAssertEqual(PIIMasker.maskPhone("(202) 555-0187"), "•••• ••87")
        XCTAssertEqual(PIIMasker.maskText("call +1 202 555 0187 today"), "call +1 •••• ••87 today")
        XCTAssertEqual(PIIMasker.maskText("Handy: 0170 1234567."), "Handy: •••• ••67.")
        XCTAssertEqual(PIIMasker.maskText("US 202-555-0187"), "US •••• ••87")
        XCTAssertEqual(PIIMasker.maskText("tel 0049 30 1234567"), "tel •••• ••67")
    }

    func testNumbersThatAreNotPhones() {
        for text in ["on 2026-11-13 at 19:02:10", "order NC-000520-1", "13.11.2026", "costs 1299.00 EUR",
                     "size 12 for 3 kids", "user_000537", "2026-11-02T07:00:09.080Z", "version 1.2.3",
                     "ISBN 978-3-16", "id 123456789"] {
            XCTAssertEqual(PIIMasker.maskText(text), text, text)
        }
    }

    func testIPAddresses() {
        XCTAssertEqual(PIIMasker.maskIP("192.168.1.23"), "192.•••.•••.•••")
        XCTAssertEqual(PIIMasker.maskText("from 10.0.0.7."), "from 10.•••.•••.•••.")
        XCTAssertEqual(PIIMasker.maskText("v6 2001:db8::ff00:42 here"), "v6 2001:••• here")
        XCTAssertEqual(PIIMasker.maskText("fe80::1"), "fe80:•••")
        XCTAssertEqual(PIIMasker.maskText("2001:0db8:85a3:0000:0000:8a2e:0370:7334"), "2001:•••")
        // Not addresses.
        XCTAssertEqual(PIIMasker.maskText("at 10:30:00 and 999.1.1.1 and 1.2.3"), "at 10:30:00 and 999.1.1.1 and 1.2.3")
    }

    func testStreetAddresses() {
        XCTAssertEqual(PIIMasker.maskText("send it to 221B Baker Street please"), "send it to 2••• B••• S••• please")
        XCTAssertEqual(PIIMasker.maskText("Lieferung an Hauptstraße 5, Berlin"), "Lieferung an H••• 5•••, Berlin")
        XCTAssertEqual(PIIMasker.maskText("12 Main St."), "1••• M••• S•••")
        XCTAssertEqual(PIIMasker.maskText("the street was busy"), "the street was busy")
    }

    func testNamesInFreeText() {
        XCTAssertEqual(PIIMasker.maskText("My niece Mia, she turns 1 in December"), "My niece M•••, she turns 1 in December")
        XCTAssertEqual(PIIMasker.maskText("Hi, my name is Anna Schmidt."), "Hi, my name is A••• S•••.")
        XCTAssertEqual(PIIMasker.maskText("ich heiße Jonas"), "ich heiße J•••")
        XCTAssertEqual(PIIMasker.maskText("thanks to Mrs Becker"), "thanks to Mrs B•••")
        // A cue without a capitalised word after it masks nothing.
        XCTAssertEqual(PIIMasker.maskText("my niece loved it"), "my niece loved it")
        XCTAssertEqual(PIIMasker.maskText("i am happy"), "i am happy")
    }

    func testIdentifiersKeepNameLikeWords() {
        XCTAssertEqual(PIIMasker.maskIdentifier("My Friend Referred"), "My Friend Referred")
        XCTAssertEqual(PIIMasker.maskIdentifier("Order Completed"), "Order Completed")
        XCTAssertEqual(PIIMasker.maskIdentifier("promo-anna@example.com"), "p•••@example.com")
        XCTAssertEqual(PIIMasker.maskIdentifier("/data/events.jsonl"), "/data/events.jsonl")
    }

    func testValuesByKey() {
        XCTAssertEqual(PIIMasker.kind(ofKey: "email"), .email)
        XCTAssertEqual(PIIMasker.kind(ofKey: "traits.first_name"), .name)
        XCTAssertEqual(PIIMasker.kind(ofKey: "lastName"), .name)
        XCTAssertEqual(PIIMasker.kind(ofKey: "address.city"), .address)
        XCTAssertEqual(PIIMasker.kind(ofKey: "Phone"), .phone)
        XCTAssertEqual(PIIMasker.kind(ofKey: "context.ip"), .ip)
        XCTAssertNil(PIIMasker.kind(ofKey: "region"))
        XCTAssertNil(PIIMasker.kind(ofKey: "preferred_channel"))

        XCTAssertEqual(PIIMasker.maskValue("Yūki", key: "firstName"), "Y•••")
        XCTAssertEqual(PIIMasker.maskValue("Anna Maria Schmidt", key: "name"), "A••• M••• S•••")
        XCTAssertEqual(PIIMasker.maskValue("liam.larsen@example.com", key: "email"), "l•••@example.com")
        XCTAssertEqual(PIIMasker.maskValue("+1 202 555 0187", key: "phone"), "+1 •••• ••87")
        XCTAssertEqual(PIIMasker.maskValue("Hauptstraße 5", key: "address.street"), "H••• 5•••")
        XCTAssertEqual(PIIMasker.maskValue("81.2.69.160", key: "ip"), "81.•••.•••.•••")
        XCTAssertEqual(PIIMasker.maskValue("1990-04-01", key: "birthday"), "••••-••-••")
        XCTAssertEqual(PIIMasker.maskValue("urban", key: "region"), "urban")
        XCTAssertEqual(PIIMasker.maskValue("mail me at a@b.de", key: "note"), "mail me at a•••@b.de")
    }

    func testRuleLiteralsOfPersonalTraits() {
        XCTAssertEqual(PIIMasker.maskRule("trait lastName = \"Becker\" and trait region = \"urban\""),
                       "trait lastName = \"B•••\" and trait region = \"urban\"")
        XCTAssertEqual(PIIMasker.maskRule("trait(email) in (\"a@x.de\", \"bo@y.org\")\nand event \"Order Completed\""),
                       "trait(email) in (\"a•••@x.de\", \"b•••@y.org\")\nand event \"Order Completed\"")
        XCTAssertEqual(PIIMasker.maskRule("trait plan = \"pro\""), "trait plan = \"pro\"")
    }

    func testCleanTextIsReturnedUnchanged() {
        let text = "loved the pram, quick delivery"
        XCTAssertEqual(PIIMasker.maskText(text), text)
        XCTAssertFalse(PIIMasker.containsPII(text))
        XCTAssertTrue(PIIMasker.containsPII("a@example.com"))
    }
}
