"""People from the seed threads, answered through the questionnaire, with the top two roles a
practitioner in those threads would give them. Shared by the ranking and the chat tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    name: str
    story: str  # who they are, from the threads
    answers: dict[str, tuple[str, ...]]
    top_two: frozenset[str]  # the two roles a practitioner would name, in either order


PERSONAS = (
    Persona(
        "forecaster",
        "Data-science master's, runs offline time-series forecasts for consulting clients, wants "
        "to deploy and scale ML systems and be insulated from client-facing narratives.",
        {
            "enjoy": ("infrastructure", "modelling"),
            "analysis": ("build",),
            "maths": ("some",),
            "software": ("scripts",),
            "clients": ("avoid",),
            "production": ("own",),
            "background": ("data-science",),
            "papers": ("library",),
            "week": ("cost",),
            "models": ("train",),
        },
        frozenset({"ml-engineer", "mlops-engineer"}),
    ),
    Persona(
        "mobile developer",
        "A mobile developer who wants to manage, deploy and scale models rather than build them, "
        "and to avoid the maths underneath (he moved into MLOps).",
        {
            "enjoy": ("infrastructure",),
            "analysis": ("build",),
            "maths": ("little",),
            "software": ("years",),
            "clients": ("moderate",),
            "production": ("own",),
            "background": ("software",),
            "papers": ("product",),
            "week": ("cost",),
            "models": ("system",),
        },
        frozenset({"mlops-engineer", "ml-software-engineer"}),
    ),
    Persona(
        "mathematician",
        "A trained mathematician working as a data scientist, frustrated that the job uses little "
        "maths, looking for work that combines research in maths with data science.",
        {
            "enjoy": ("research", "modelling"),
            "analysis": ("sometimes",),
            "maths": ("lots",),
            "software": ("scripts",),
            "clients": ("moderate",),
            "production": ("offline",),
            "background": ("academia",),
            "papers": ("reimplement",),
            "week": ("accuracy",),
            "models": ("invent",),
        },
        frozenset({"research-scientist", "data-scientist"}),
    ),
    Persona(
        "data engineer",
        "Almost ten years of Python and data engineering, playing with ML on the side, aiming at "
        "ML engineer jobs that all ask for production model experience.",
        {
            "enjoy": ("pipelines", "modelling"),
            "analysis": ("sometimes",),
            "maths": ("some",),
            "software": ("years",),
            "clients": ("moderate",),
            "production": ("own",),
            "background": ("data-engineering",),
            "papers": ("library",),
            "week": ("trusted",),
            "models": ("train",),
        },
        frozenset({"ml-engineer", "data-engineer"}),
    ),
    Persona(
        "API builder",
        "A software engineer 'with a recent focus on generative AI' who builds on general-purpose "
        "models through API calls instead of training custom models.",
        {
            "enjoy": ("products",),
            "analysis": ("build",),
            "maths": ("little",),
            "software": ("years",),
            "clients": ("moderate",),
            "production": ("ship",),
            "background": ("software",),
            "papers": ("product",),
            "week": ("launch",),
            "models": ("api",),
        },
        frozenset({"ai-engineer", "ml-software-engineer"}),
    ),
    Persona(
        "physicist developer",
        "A physics PhD and long-time web developer who sat between the engineering and data "
        "science teams, making notebook code reusable and the Python systems reliable.",
        {
            "enjoy": ("infrastructure", "products"),
            "analysis": ("build",),
            "maths": ("some",),
            "software": ("years",),
            "clients": ("moderate",),
            "production": ("ship",),
            "background": ("software",),
            "papers": ("library",),
            "week": ("accuracy",),
            "models": ("system",),
        },
        frozenset({"ml-software-engineer", "ml-engineer"}),
    ),
    Persona(
        "devops engineer",
        "A DevOps engineer who loves DevOps and wants to move into ML infrastructure ('if you can "
        "do DevOps, you can likely learn MLOps quickly').",
        {
            "enjoy": ("infrastructure", "pipelines"),
            "analysis": ("build",),
            "maths": ("little",),
            "software": ("years",),
            "clients": ("avoid",),
            "production": ("own",),
            "background": ("devops",),
            "papers": ("product",),
            "week": ("cost",),
            "models": ("system",),
        },
        frozenset({"mlops-engineer", "ml-software-engineer"}),
    ),
    Persona(
        "consultant",
        "A data scientist at a consultancy who likes the client work: proofs of concept, KPIs and "
        "the story behind a number, more than deploying anything.",
        {
            "enjoy": ("modelling",),
            "analysis": ("love",),
            "maths": ("some",),
            "software": ("scripts",),
            "clients": ("enjoy",),
            "production": ("offline",),
            "background": ("data-science",),
            "papers": ("library",),
            "week": ("decision",),
            "models": ("simple",),
        },
        frozenset({"decision-scientist", "data-scientist"}),
    ),
)
