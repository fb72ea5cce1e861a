"""Demo bills and suggestions in every state (DESIGN.md §15)."""

from __future__ import annotations

from datetime import timedelta

from deputies.models import Activity, Mandate
from deputies.services import activity_create, attendance_set
from portal.demo import document_number

from . import services
from .models import Assignment, CoSigner, Suggestion

TEXTS = [
    (
        "关于加强农村公路养护管理的建议",
        "transport",
        "部分通村公路路面破损、坑洼积水，群众出行不便。",
        "养护资金不足，县乡村三级养护责任不清，缺少日常巡查。",
        "一、建立县乡村三级路长制；二、将养护资金纳入财政预算；三、推行群众监督员制度。",
    ),
    (
        "关于改善乡镇中小学食堂条件的建议",
        "education",
        "部分乡镇学校食堂设施老旧，就餐环境差。",
        "学校运转经费紧张，食堂改造缺少专项资金。",
        "设立学校食堂改造专项，分三年完成改造。",
    ),
    (
        "关于提升村卫生室服务能力的建议",
        "health",
        "村卫生室坐诊时间短、药品不全。",
        "乡村医生待遇低、人员老化。",
        "提高乡村医生补助，推行乡镇卫生院医生到村坐诊。",
    ),
    (
        "关于扶持油茶产业发展的建议",
        "agriculture",
        "油茶收购价格波动大，农户增收难。",
        "缺少加工龙头企业和品牌。",
        "培育加工企业，建设油茶交易市场，打造区域公用品牌。",
    ),
    (
        "关于加快城镇老旧小区改造的建议",
        "construction",
        "老旧小区管网老化、缺少路灯和停车位。",
        "改造资金来源单一，居民参与不足。",
        "统筹中央补助和地方配套，推行居民议事会。",
    ),
    (
        "关于规范农村建房审批的建议",
        "construction",
        "农村建房审批环节多、时间长。",
        "部门之间信息不共享。",
        "推行农村建房一站式审批。",
    ),
    (
        "关于加强河道垃圾治理的建议",
        "environment",
        "部分河道垃圾堆积，影响灌溉。",
        "保洁责任落实不到位。",
        "落实河长制，聘请河道保洁员。",
    ),
    (
        "关于增加城乡公交班次的建议",
        "transport",
        "乡镇到县城公交班次少。",
        "线路运营亏损，企业积极性不高。",
        "实施城乡公交一体化，给予运营补贴。",
    ),
    (
        "关于完善高龄津贴发放机制的建议",
        "social",
        "高龄津贴发放时间不固定。",
        "审核流程繁琐。",
        "实行按月定时发放。",
    ),
    (
        "关于建设农产品电商服务站的建议",
        "economy",
        "农产品销售渠道窄。",
        "缺少电商人才和物流站点。",
        "在各乡镇建设电商服务站，开展电商培训。",
    ),
    (
        "关于加强农村公路安全设施建设的建议",
        "transport",
        "部分农村公路急弯陡坡缺少护栏。",
        "安全设施投入不足。",
        "实施农村公路安防工程。",
    ),
    (
        "关于推进乡镇污水处理设施运行的建议",
        "environment",
        "部分乡镇污水处理厂建成后运行不正常。",
        "运维经费不足，管网不配套。",
        "落实运维经费，完善配套管网。",
    ),
    (
        "关于解决县城停车难的建议",
        "construction",
        "县城老城区停车位严重不足。",
        "缺少停车规划和公共停车场。",
        "编制停车专项规划，建设立体停车场。",
    ),
    (
        "关于加强校园周边交通安全的建议",
        "transport",
        "学校周边上下学时段交通拥堵、存在安全隐患。",
        "缺少护学岗和交通设施。",
        "设置护学岗、减速带和临时停车区。",
    ),
]


def seed(ctx) -> None:
    if Suggestion.objects.exists():
        return
    today = ctx.today
    county = ctx.congresses["湘源县"]
    township = ctx.congresses["桃花乡"]
    staff, taohua_staff = ctx.users["xian_staff"], ctx.users["taohua_staff"]
    jiaotong, zhujian = (
        ctx.units["湘源县交通运输局"],
        ctx.units["湘源县住房和城乡建设局"],
    )
    education, health = ctx.units["湘源县教育局"], ctx.units["湘源县卫生健康局"]
    agriculture, gov = ctx.units["湘源县农业农村局"], ctx.units["桃花乡人民政府"]
    li_ming = Mandate.objects.get(person__user__username="daibiao01", congress=county)
    zhang = Mandate.objects.get(person__user__username="daibiao02", congress=county)
    others = list(
        Mandate.objects.filter(congress=county, status="active").exclude(
            pk__in=[li_ming.pk, zhang.pk]
        )[:12]
    )
    research = Activity.objects.filter(congress=county, kind="research").first()
    inspection = Activity.objects.filter(congress=county, kind="inspection").first()
    for activity in (research, inspection):
        for mandate in (li_ming, zhang, *others[:6]):
            # 无调研不建议 counts only activities the deputy attended.
            activity.attendances.update_or_create(
                mandate=mandate, defaults={"status": "attended"}
            )
    units = {
        "transport": jiaotong,
        "construction": zhujian,
        "education": education,
        "health": health,
        "agriculture": agriculture,
        "environment": zhujian,
        "social": gov,
        "economy": agriculture,
    }

    def make(index, lead, activity=None, **extra):
        title, category, problem, analysis, proposals = TEXTS[index]
        return services.suggestion_create(
            lead=lead,
            title=title,
            category=category,
            problem=problem,
            analysis=analysis,
            proposals=proposals,
            research_activities=[activity or research],
            actor=lead.person.user,
            **extra,
        )

    def to_assigned(suggestion, unit_roles=None):
        services.suggestion_submit(
            suggestion=suggestion, actor=suggestion.lead.person.user
        )
        services.suggestion_register(suggestion=suggestion, actor=staff)
        roles = unit_roles or [(units.get(suggestion.category, gov), "lead")]
        return services.suggestion_assign(
            suggestion=suggestion,
            units=roles,
            actor=staff,
            today=today - timedelta(days=40),
        )

    # Each unit's reply is numbered in its own series (湘源建复〔2026〕1号…) and
    # signed by its own head (issue 18).
    reply_numbers: dict[str, int] = {}
    signers = {
        "湘源县交通运输局": "赵志刚",
        "湘源县住房和城乡建设局": "孙海燕",
        "湘源县教育局": "陈丽娟",
        "湘源县卫生健康局": "刘建华",
        "湘源县农业农村局": "谭国强",
        "桃花乡人民政府": "郑文斌",
    }

    def reply(suggestion, category, text, commitments=()):
        lead = (
            suggestion.assignments.get(role__in=["lead", "split"])
            if suggestion.assignments.filter(role__in=["lead", "split"]).count() == 1
            else suggestion.assignments.filter(role__in=["lead", "split"]).first()
        )
        user = lead.unit.head
        reply_numbers[lead.unit.name] = reply_numbers.get(lead.unit.name, 0) + 1
        services.assignment_accept(assignment=lead, actor=user)
        services.assignment_contact(
            assignment=lead,
            method="meeting",
            date=today - timedelta(days=5),
            summary="与代表当面沟通办理方案，代表表示认可。",
            actor=user,
        )
        services.assignment_reply(
            assignment=lead,
            category=category,
            text=text,
            document_number=document_number(
                lead.unit.name, today.year, reply_numbers[lead.unit.name], kind="复"
            ),
            signer=signers.get(lead.unit.name, ""),
            commitments=list(commitments),
            actor=user,
        )
        suggestion.refresh_from_db()
        return suggestion

    # draft (李明's own) and one with a co-signature waiting for 张桂英
    make(9, li_ming)
    cosigned = make(10, li_ming, co_signers=[zhang])
    del cosigned
    # submitted, awaiting staff review
    services.suggestion_submit(suggestion=make(8, zhang), actor=zhang.person.user)
    # returned for revision
    returned = make(5, zhang)
    services.suggestion_submit(suggestion=returned, actor=zhang.person.user)
    services.suggestion_return(
        suggestion=returned, reason="请补充具体的审批环节和办理时限数据。", actor=staff
    )
    # not registered
    rejected = make(11, others[0], activity=inspection)
    services.suggestion_submit(suggestion=rejected, actor=None)
    services.suggestion_reject(
        suggestion=rejected, reason="属于市级事权，建议向市人大代表反映。", actor=staff
    )
    # registered, not yet assigned
    registered = make(6, others[1], activity=inspection)
    services.suggestion_submit(suggestion=registered, actor=None)
    services.suggestion_register(suggestion=registered, actor=staff)
    # merged pair
    parent = to_assigned(
        make(0, li_ming), [(jiaotong, "lead"), (ctx.units["桃花乡人民政府"], "co")]
    )
    child = make(10, others[2], activity=inspection)
    services.suggestion_submit(suggestion=child, actor=None)
    services.suggestion_merge(suggestion=child, into=parent, actor=staff)
    # assigned and overdue (jiaotong)
    overdue = to_assigned(make(7, zhang))
    Assignment.objects.filter(suggestion=overdue).update(
        due_date=today - timedelta(days=3)
    )
    # assigned, return requested (zhujian)
    returning = to_assigned(make(4, others[3], activity=inspection))
    lead = returning.assignments.get()
    services.assignment_request_return(
        assignment=lead,
        reason="老旧小区改造涉及多个部门，建议由县发改局牵头。",
        actor=zhujian.head,
        today=lead.assigned_on,
    )
    # replied, waiting for the deputy's rating
    reply(
        to_assigned(make(2, li_ming)),
        "B",
        "县卫健局已制定乡村医生补助提高方案，明年起执行。",
        [
            {
                "text": "2027年3月底前出台乡村医生补助提高方案",
                "due_date": today + timedelta(days=120),
            }
        ],
    )
    # closed, satisfied, A
    closed = reply(
        to_assigned(make(1, zhang)), "A", "已安排专项资金完成5所学校食堂改造。"
    )
    services.suggestion_evaluate(
        suggestion=closed,
        actor=zhang.person.user,
        result="satisfied",
        attitude="satisfied",
    )
    # tracking (B with a commitment)
    tracking = reply(
        to_assigned(make(3, li_ming)),
        "B",
        "县农业农村局正在引进油茶加工企业。",
        [
            {
                "text": "2027年6月底前建成油茶交易市场",
                "due_date": today + timedelta(days=200),
            }
        ],
    )
    services.suggestion_evaluate(
        suggestion=tracking,
        actor=li_ming.person.user,
        result="basically_satisfied",
        attitude="satisfied",
    )
    # rehandling after a dissatisfied rating
    rehandled = reply(
        to_assigned(make(12, zhang)),
        "C",
        "因资金限制，待以后解决。",
        [{"text": "争取上级资金", "due_date": today + timedelta(days=300)}],
    )
    services.suggestion_evaluate(
        suggestion=rehandled,
        actor=zhang.person.user,
        result="dissatisfied",
        attitude="basically_satisfied",
        comment="答复过于笼统，没有具体措施。",
    )
    # The staff reviewed these replies for the public site (答复公开); the one
    # still waiting for its rating also waits for the review.
    for reviewed in (closed, tracking, rehandled):
        services.suggestion_review_disclosure(
            suggestion=reviewed, publish=True, actor=staff
        )
    # split between two units, both still working
    to_assigned(make(13, li_ming), [(jiaotong, "split"), (education, "split")])
    # withdrawn
    withdrawn = make(11, zhang)
    services.suggestion_withdraw(
        suggestion=withdrawn, actor=zhang.person.user, reason="问题已解决"
    )

    # A bill of the 桃花乡 congress (5 co-signers) at its session, then a suggestion.
    taohua_deputies = list(
        Mandate.objects.filter(congress=township).order_by("card_number")[:8]
    )
    lead_t = taohua_deputies[0]
    visit = activity_create(
        congress=township,
        kind="inspection",
        title="视察桃花乡集镇供水工程",
        date=today - timedelta(days=20),
        participants=taohua_deputies,
        actor=taohua_staff,
    )
    for mandate in taohua_deputies:
        attendance_set(activity=visit, mandate=mandate, status="attended", actor=None)
    suggestion_t = services.suggestion_create(
        lead=lead_t,
        title="关于改造桃花乡集镇供水管网的建议",
        category="construction",
        problem="集镇自来水经常停水。",
        analysis="管网建于上世纪九十年代，老化严重。",
        proposals="分两期改造供水管网。",
        research_activities=[visit],
        co_signers=taohua_deputies[1:6],
        actor=lead_t.person.user,
    )
    for cosigner in CoSigner.objects.filter(suggestion=suggestion_t).select_related(
        "mandate__person__user"
    ):
        services.cosigner_respond(
            cosigner=cosigner, accept=True, actor=cosigner.mandate.person.user
        )
    services.suggestion_submit(suggestion=suggestion_t, actor=lead_t.person.user)
    services.suggestion_register(suggestion=suggestion_t, actor=taohua_staff)
    services.suggestion_assign(
        suggestion=suggestion_t,
        units=[(gov, "lead")],
        actor=taohua_staff,
        today=today - timedelta(days=10),
    )

    # Bills of the 湘源县 congress at its first session (10 deputies jointly):
    # one awaiting the presidium's decision, one it did not put on the agenda
    # (now handled as a suggestion), and a township suggestion on a county matter
    # forwarded to the county congress.
    session = county.current_term().sessions.order_by("number").first()
    if session is not None and session.bill_deadline is not None:
        for index, decision in ((2, None), (4, "not_agenda")):
            title, category, problem, analysis, proposals = TEXTS[index]
            bill = services.suggestion_create(
                lead=li_ming,
                kind="bill",
                session=session,
                title=title.replace("的建议", "的议案"),
                category=category,
                problem=problem,
                analysis=analysis,
                proposals=proposals,
                research_activities=[research],
                co_signers=[zhang, *others[:8]],
                actor=li_ming.person.user,
            )
            CoSigner.objects.filter(suggestion=bill).update(
                status="confirmed", responded_at=session.bill_deadline
            )
            services.suggestion_submit(
                suggestion=bill,
                actor=li_ming.person.user,
                now=session.bill_deadline - timedelta(hours=2),
            )
            if decision:
                services.bill_decide(
                    suggestion=bill,
                    decision=decision,
                    note="不属于本次会议议程，作为代表建议交有关机关办理。",
                    document_number=document_number(
                        "湘源县人民代表大会主席团", session.start_date.year, 1
                    ),
                    actor=staff,
                )
        # The presidium's own bill: on the agenda at once, then adopted.
        presidium_bill = services.bill_submit_by_presidium(
            session=session,
            title="关于湘源县2027年国民经济和社会发展计划的议案",
            category="economy",
            problem="县人民政府提出的2027年国民经济和社会发展计划草案需经大会审查批准。",
            analysis="依照地方组织法，县级人民代表大会审查和批准本行政区域内的"
            "国民经济和社会发展计划。",
            proposals="建议大会审查批准计划草案，并授权县人大常委会监督执行。",
            document_number=document_number(
                "湘源县人民代表大会主席团", session.start_date.year, 2
            ),
            actor=staff,
            now=session.bill_deadline - timedelta(hours=1),
        )
        services.bill_record_result(
            suggestion=presidium_bill, result="adopted", actor=staff
        )
    forwarded = services.suggestion_create(
        lead=lead_t,
        title="关于拓宽县道桃花段的建议",
        category="transport",
        problem="县道桃花段路面窄，会车困难。",
        analysis="县道属县交通运输局管养，乡镇无权改造。",
        proposals="将县道桃花段拓宽列入县交通建设计划。",
        research_activities=[visit],
        actor=lead_t.person.user,
    )
    services.suggestion_submit(suggestion=forwarded, actor=lead_t.person.user)
    services.suggestion_register(suggestion=forwarded, actor=taohua_staff)
    services.suggestion_forward(
        suggestion=forwarded, note="属县交通运输局职责", actor=taohua_staff
    )

    # Key supervision led by the leader.
    services.key_item_create(
        congress=county,
        year=parent.year,
        title="农村公路养护和安全设施建设",
        leader=ctx.users["leader"],
        suggestions=[parent, overdue],
        plan="主任会议成员牵头，每季度实地督办一次，年底听取专项报告。",
        actor=staff,
    )
