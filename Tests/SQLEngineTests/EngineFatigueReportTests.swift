import XCTest
import Foundation
import Analytics
import EventStore
@testable import SQLEngine

/// Prompt fatigue and the preferred channel earshot builds from the engine's integer rows (FatigueSQL.swift), hand-
/// computed: every ordinal and gap row listed (empty ones too), rates computed here, a channel's tables only when it
/// has a prompt; the best hour × weekday cell chosen by earshot among cells of at least 20 prompts, with its own zone
/// rules deciding which cell a prompt counts in; the mapping of trait texts is the SQL's.
final class EngineFatigueReportTests: XCTestCase {
    func result(_ results: String) throws -> EngineResult {
        let text = #"{"spark_version":"4.3.0","master":"local[1]","seconds":2,"results":"# + results + "}"
        return try EngineResult(json: Data(text.utf8))
    }

    let rows = #"""
        {"fatigue":[
           {"tbl":"ordinal","bucket":1,"channel":null,"prompts":3,"answered":3,"persons":2},
           {"tbl":"ordinal","bucket":2,"channel":null,"prompts":2,"answered":0,"persons":2},
           {"tbl":"ordinal","bucket":5,"channel":null,"prompts":2,"answered":1,"persons":1},
           {"tbl":"gap","bucket":0,"channel":null,"prompts":2,"answered":2,"persons":2},
           {"tbl":"gap","bucket":5,"channel":null,"prompts":1,"answered":1,"persons":1},
           {"tbl":"ordinal","bucket":1,"channel":"sms","prompts":2,"answered":2,"persons":2},
           {"tbl":"gap","bucket":1,"channel":"sms","prompts":1,"answered":0,"persons":1},
           {"tbl":"ordinal","bucket":9,"channel":"sms","prompts":7,"answered":7,"persons":7},
           {"tbl":"gap","bucket":6,"channel":"sms","prompts":7,"answered":7,"persons":7}],
         "preferred_persons":[{"channel":"sms","persons":2},{"channel":"email","persons":1}],
         "preferred_prompts":[
           {"grp":"on_preferred","channel":null,"prompts":3,"answered":2,"persons":2},
           {"grp":"on_other","channel":null,"prompts":2,"answered":1,"persons":2},
           {"grp":"no_preference","channel":null,"prompts":2,"answered":1,"persons":2},
           {"grp":"on_preferred","channel":"sms","prompts":2,"answered":2,"persons":1},
           {"grp":"on_other","channel":"email","prompts":2,"answered":1,"persons":2},
           {"grp":"no_preference","channel":"email","prompts":1,"answered":0,"persons":1}],
         "preferred_cells":[
           {"channel":"sms","zone":null,"utc_cell":10,"local_cell":null,"prompts":20,"answered":10},
           {"channel":"sms","zone":"Europe/Berlin","utc_cell":10,"local_cell":35,"prompts":24,"answered":12},
           {"channel":"sms","zone":"Mars/Olympus","utc_cell":10,"local_cell":null,"prompts":2,"answered":1},
           {"channel":"sms","zone":"EST","utc_cell":40,"local_cell":null,"prompts":19,"answered":19},
           {"channel":"email","zone":null,"utc_cell":0,"local_cell":null,"prompts":19,"answered":19}],
         "store_events":[{"events":9,"persons":4,"first_event":1776000000000,"last_event":1776500000000,"now":1776500000000}],
         "store_reads":[{"lines":9,"malformed":0,"vendor_lines":0}]}
        """#

    func testFatigueFromCounts() throws {
        let f = try EngineReport.rawReport(result: try result(rows), files: [], options: AnalysisOptions()).feedback.fatigue
        XCTAssertEqual(f.trailingDays, 30)
        XCTAssertEqual(f.byOrdinal.map(\.label), ["1", "2", "3", "4", "5+"])
        XCTAssertEqual(f.byOrdinal.map(\.counts.prompts), [3, 2, 0, 0, 2])
        XCTAssertEqual(f.byOrdinal.map(\.counts.responseRate), [1.0, 0.0, nil, nil, 0.5])
        XCTAssertEqual(f.byOrdinal.map(\.counts.persons), [2, 2, 0, 0, 1])
        XCTAssertEqual(f.byGap.map(\.gap), ["first", "<1d", "1-3d", "3-7d", "7-30d", ">30d"])
        XCTAssertEqual(f.byGap.map(\.counts.prompts), [2, 0, 0, 0, 0, 1])
        // Only channels with a row; a bucket outside the tables (ordinal 9, gap 6) is ignored.
        XCTAssertEqual(Array(f.byChannel.keys), ["sms"])
        XCTAssertEqual(f.byChannel["sms"]?.byOrdinal.map(\.counts.prompts), [2, 0, 0, 0, 0])
        XCTAssertEqual(f.byChannel["sms"]?.byGap.map(\.counts.prompts), [0, 1, 0, 0, 0, 0])
        XCTAssertEqual(f.byChannel["sms"]?.byGap[1].counts.responseRate, 0)
    }

    func testPreferredChannelFromCounts() throws {
        var options = AnalysisOptions()
        options.feedback.preferredChannelTrait = "channel_pref"
        let p = try EngineReport.rawReport(result: try result(rows), files: [], options: options).feedback.preferredChannel
        XCTAssertEqual(p.trait, "channel_pref")
        XCTAssertEqual(p.personsWithPreference, 3)
        XCTAssertEqual(p.preferences.map(\.channel), ["email", "sms"])
        XCTAssertEqual(p.preferences.map(\.persons), [1, 2])
        XCTAssertEqual([p.onPreferred.prompts, p.onPreferred.answered, p.onPreferred.persons], [3, 2, 2])
        XCTAssertEqual(p.onOther.responseRate, 0.5)
        XCTAssertEqual(p.noPreference.prompts, 2)
        XCTAssertEqual(p.channels.map(\.channel), ["email", "sms"])
        XCTAssertEqual(p.channels[0].onOther.prompts, 2)
        XCTAssertEqual(p.channels[0].noPreference.prompts, 1)
        XCTAssertEqual(p.channels[0].onPreferred.prompts, 0)
        XCTAssertNil(p.channels[0].onPreferred.responseRate)
        // email: one cell of 19 prompts (all answered) is below 20: no best cell.
        XCTAssertNil(p.channels[0].bestCell)
        // sms: Berlin's local cell 35 (Tuesday 11:00) holds 24 prompts, UTC cell 10 (Monday 10:00) 20 + 2 of an unknown
        // zone (earshot: UTC) = 22, both rate 0.5 … 11/22 = 0.5 and 12/24 = 0.5: more prompts win. EST (Java does not
        // know it: no local cell) stays in its UTC cell 40 with 19 prompts, below 20 despite a rate of 1.
        let best = try XCTUnwrap(p.channels[1].bestCell)
        XCTAssertEqual([best.weekday, best.hour, best.prompts, best.answered], [2, 11, 24, 12])
        XCTAssertEqual(best.responseRate, 0.5)
    }
}
